// Starting values the screens fill in, and how a meeting is named to the core. The types come
// from the generated bindings.

import type { Meeting, MeetingKey, ParticipantInput } from '../backend/bindings';

export function emptyInput(): ParticipantInput {
  return {
    legal_name: '',
    preferred_name: '',
    dob: '',
    facility_number: '',
    facility_id: '',
    unit_id: '',
    admission_date: '',
    release_date: '',
    program: '',
    language: 'English',
    notes: '',
  };
}

/** How a meeting is named to the core: its id, its group, and the date it was scheduled for. */
export function keyOf(m: Meeting): MeetingKey {
  return { id: m.id, group_id: m.group_id, occurrence: m.occurrence };
}
