export const pipeline = {
  id: {},
  en: {},
};
