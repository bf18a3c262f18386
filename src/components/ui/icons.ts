import ArrowRight from '@lucide/astro/icons/arrow-right';
import Building from '@lucide/astro/icons/building';
import Briefcase from '@lucide/astro/icons/briefcase';
import Bus from '@lucide/astro/icons/bus';
import Calendar from '@lucide/astro/icons/calendar';
import Camera from '@lucide/astro/icons/camera';
import ChartColumn from '@lucide/astro/icons/chart-column';
import ChevronRight from '@lucide/astro/icons/chevron-right';
import CircleCheck from '@lucide/astro/icons/circle-check';
import CircleX from '@lucide/astro/icons/circle-x';
import Code from '@lucide/astro/icons/code';
import Database from '@lucide/astro/icons/database';
import Download from '@lucide/astro/icons/download';
import FileText from '@lucide/astro/icons/file-text';
import Globe from '@lucide/astro/icons/globe';
import GraduationCap from '@lucide/astro/icons/graduation-cap';
import HandHelping from '@lucide/astro/icons/hand-helping';
import HandHeart from '@lucide/astro/icons/hand-heart';
import HeartPulse from '@lucide/astro/icons/heart-pulse';
import House from '@lucide/astro/icons/house';
import Inbox from '@lucide/astro/icons/inbox';
import Info from '@lucide/astro/icons/info';
import Landmark from '@lucide/astro/icons/landmark';
import Leaf from '@lucide/astro/icons/leaf';
import Lightbulb from '@lucide/astro/icons/lightbulb';
import List from '@lucide/astro/icons/list';
import MapIcon from '@lucide/astro/icons/map';
import Menu from '@lucide/astro/icons/menu';
import Printer from '@lucide/astro/icons/printer';
import Rows3 from '@lucide/astro/icons/rows-3';
import Search from '@lucide/astro/icons/search';
import Table from '@lucide/astro/icons/table';
import TriangleAlert from '@lucide/astro/icons/triangle-alert';
import TrendingUp from '@lucide/astro/icons/trending-up';
import Trophy from '@lucide/astro/icons/trophy';
import User from '@lucide/astro/icons/user';
import Users from '@lucide/astro/icons/users';
import { isIconName, type IconName } from './icon-names.ts';

/**
 * The icon components by name (Lucide, ISC licence, drawn as inline SVG: no request, nothing for the
 * Content-Security-Policy to allow). Topic icons in kota.config.yaml name one of these.
 */
export const ICONS: Record<IconName, typeof Users> = {
  'arrow-right': ArrowRight,
  briefcase: Briefcase,
  building: Building,
  bus: Bus,
  calendar: Calendar,
  camera: Camera,
  'chart-column': ChartColumn,
  'chevron-right': ChevronRight,
  'circle-check': CircleCheck,
  'circle-x': CircleX,
  code: Code,
  database: Database,
  download: Download,
  'file-text': FileText,
  globe: Globe,
  'graduation-cap': GraduationCap,
  'hand-heart': HandHeart,
  'hand-helping': HandHelping,
  'heart-pulse': HeartPulse,
  house: House,
  inbox: Inbox,
  info: Info,
  landmark: Landmark,
  leaf: Leaf,
  lightbulb: Lightbulb,
  list: List,
  map: MapIcon,
  menu: Menu,
  printer: Printer,
  'rows-3': Rows3,
  search: Search,
  table: Table,
  'trending-up': TrendingUp,
  'triangle-alert': TriangleAlert,
  trophy: Trophy,
  user: User,
  users: Users,
};

export { isIconName, type IconName };
