// Spanish: every key of en.ts, in the words a Spanish-speaking coordinator uses at work.

import type { Messages } from './en';

export const es: Messages = {
  common: {
    cancel: 'Cancelar',
  },
  preferences: {
    title: 'Sus preferencias',
    language: 'Idioma de las pantallas',
    dateOrder: 'Fechas escritas con barras',
    save: 'Guardar preferencias',
  },
  dates: {
    months: ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre', 'noviembre', 'diciembre'],
    monthsShort: ['ene', 'feb', 'mar', 'abr', 'may', 'jun', 'jul', 'ago', 'sept', 'oct', 'nov', 'dic'],
    weekdays: ['lunes', 'martes', 'miércoles', 'jueves', 'viernes', 'sábado', 'domingo'],
    short: (day, month, year) => `${day} ${month} ${year}`,
    inWords: (weekday, day, month, year) => `${weekday}, ${day} de ${month} de ${year}`,
    monthYear: (month, year) => `${month} de ${year}`,
    orderHint: { mdy: 'mes/día/año, como 7/4/1991', dmy: 'día/mes/año, como 4/7/1991' },
    orderName: { mdy: 'Primero el mes (7/4/1991 es el 4 de julio)', dmy: 'Primero el día (7/4/1991 es el 7 de abril)' },
    notADate: (typed, example) => `«${typed}» no es una fecha: escríbala como ${example} o como 1991-07-04`,
    fullYear: (typed) => `«${typed}»: escriba el año con sus cuatro cifras, para no adivinar el siglo`,
    noMonth: (month) => `no existe el mes ${month}`,
    swapHint: (example) => `; en su orden de fechas esa fecha se escribe ${example}`,
    monthDays: (monthYear, days) => `${monthYear} tiene ${days} días`,
    yearRange: (year) => `el año ${year} está fuera de lo que Bridger guarda (de 1900 a 2199)`,
  },
};
