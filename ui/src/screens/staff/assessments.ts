// How an assessment is named wherever it is chosen or compared: its day and its title.

import { showDate } from '../../lib/dates';

export const assessmentLabel = (a: { date: string; title: string | null }): string => `${showDate(a.date)}${a.title ? ` · ${a.title}` : ''}`;
