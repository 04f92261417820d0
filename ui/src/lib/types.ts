// Mirrors of the core's types as they cross the IPC boundary (see src/model in the core).

export type Status = 'active' | 'released' | 'transferred' | 'discharged';
export const STATUSES: Status[] = ['active', 'released', 'transferred', 'discharged'];

export type ErrorCode = 'validation' | 'not_found' | 'not_initialized' | 'schema_too_new' | 'busy' | 'database' | 'io';

export interface FieldError {
  field: string;
  message: string;
}

export interface ErrorReport {
  code: ErrorCode;
  message: string;
  fields: FieldError[];
}

export interface SiteInfo {
  site_id: string;
  name: string;
  created_ms: number;
}

export interface AppInfo {
  version: string;
  db_path: string;
  site: SiteInfo | null;
}

export interface Location {
  id: string;
  kind: 'unit' | 'room';
  name: string;
}

export interface Facility {
  id: string;
  name: string;
  code: string;
  units: Location[];
  rooms: Location[];
}

export interface NewFacility {
  name: string;
  code: string;
  units: string[];
  rooms: string[];
}

export interface ParticipantInput {
  legal_name: string;
  preferred_name: string;
  dob: string;
  facility_number: string;
  facility_id: string;
  unit_id: string;
  admission_date: string;
  release_date: string;
  program: string;
  language: string;
  notes: string;
}

export interface Participant {
  id: string;
  legal_name: string;
  preferred_name: string | null;
  dob: string;
  facility_number: string;
  facility_id: string;
  facility_name: string;
  unit_id: string | null;
  unit_name: string | null;
  admission_date: string;
  release_date: string | null;
  program: string | null;
  status: Status;
  status_date: string;
  status_note: string | null;
  language: string;
  notes: string | null;
}

export interface ParticipantView {
  participant: Participant;
  form: ParticipantInput;
}

export interface RosterFilter {
  facility_id: string | null;
  unit_id: string | null;
  status: Status | null;
  release_from: string | null;
  release_to: string | null;
}

export interface RosterRow {
  id: string;
  legal_name: string;
  preferred_name: string | null;
  facility_number: string;
  facility_code: string;
  unit_name: string | null;
  dob: string;
  status: Status;
  release_date: string | null;
}

export interface RosterPage {
  total: number;
  offset: number;
  rows: RosterRow[];
}

export interface SearchResult {
  rows: RosterRow[];
  more: boolean;
}

export interface DuplicateCandidate {
  row: RosterRow;
  reason: string;
}

export type DuplicateCheck = 'check' | 'confirmed_new_person';

export type Enrolment =
  | { outcome: 'enrolled'; participant: Participant }
  | { outcome: 'possible_duplicates'; candidates: DuplicateCandidate[] };

export interface StatusChange {
  status: Status;
  date: string;
  note: string;
}

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
