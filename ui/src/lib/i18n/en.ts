// English: the table that defines every key. Keep a key's meaning when editing its words; a new
// key needs its Spanish in es.ts before the UI compiles.

export const en = {
  common: {
    cancel: 'Cancel',
  },
  preferences: {
    title: 'Your preferences',
    language: 'Language of the screens',
    dateOrder: 'Dates typed with slashes',
    save: 'Save preferences',
  },
  dates: {
    months: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
    monthsShort: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
    /** Monday first, as the core numbers weekdays (1 to 7). */
    weekdays: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'],
    short: (day: number, month: string, year: number) => `${day} ${month} ${year}`,
    inWords: (weekday: string, day: number, month: string, year: number) => `${weekday} ${day} ${month} ${year}`,
    monthYear: (month: string, year: number) => `${month} ${year}`,
    orderHint: { mdy: 'month/day/year, such as 7/4/1991', dmy: 'day/month/year, such as 4/7/1991' },
    orderName: { mdy: 'Month first (7/4/1991 is 4 July)', dmy: 'Day first (7/4/1991 is 7 April)' },
    notADate: (typed: string, example: string) => `“${typed}” is not a date: type it as ${example} or as 1991-07-04`,
    fullYear: (typed: string) => `“${typed}”: write the year with all four digits, so the century is not guessed`,
    noMonth: (month: number) => `there is no month ${month}`,
    swapHint: (example: string) => `; in your date order that date is written ${example}`,
    monthDays: (monthYear: string, days: number) => `${monthYear} has ${days} days`,
    yearRange: (year: number) => `the year ${year} is outside what Bridger keeps (1900 to 2199)`,
  },
};

export type Messages = typeof en;
