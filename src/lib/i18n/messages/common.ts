export const common = {
  id: {
    'site.language': 'Bahasa',
    'site.switch_to': 'English',
  },
  en: {
    'site.language': 'Language',
    'site.switch_to': 'Bahasa Indonesia',
  },
};
