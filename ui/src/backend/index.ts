// The one interface between the screens and the core. Components never import @tauri-apps
// directly: the app gets the Tauri implementation, tests get the mock.

import { getContext, setContext } from 'svelte';
import type {
  AppInfo,
  DuplicateCheck,
  Enrolment,
  ErrorCode,
  ErrorReport,
  Facility,
  FieldError,
  Location,
  NewFacility,
  ParticipantInput,
  ParticipantView,
  RosterFilter,
  RosterPage,
  SearchResult,
  SiteInfo,
  StatusChange,
} from '../lib/types';

export interface Backend {
  appInfo(): Promise<AppInfo>;
  setupSite(siteName: string, facility: NewFacility): Promise<SiteInfo>;
  facilities(): Promise<Facility[]>;
  createFacility(facility: NewFacility): Promise<Facility>;
  addLocation(facilityId: string, kind: 'unit' | 'room', name: string): Promise<Location>;
  rosterPage(filter: RosterFilter, offset: number, limit: number): Promise<RosterPage>;
  search(text: string, filter: RosterFilter, limit: number): Promise<SearchResult>;
  participant(id: string): Promise<ParticipantView>;
  /** Enrols, or, unless `check` confirms a new person, returns possible duplicates unsaved. */
  enroll(input: ParticipantInput, check: DuplicateCheck): Promise<Enrolment>;
  update(id: string, original: ParticipantInput, edited: ParticipantInput): Promise<ParticipantView>;
  setStatus(id: string, change: StatusChange): Promise<ParticipantView>;
  remove(id: string): Promise<void>;
}

/** An error from the core, with the code the UI branches on and any per-field messages. */
export class BackendError extends Error {
  readonly code: ErrorCode;
  readonly fields: FieldError[];

  constructor(report: ErrorReport) {
    super(report.message);
    this.code = report.code;
    this.fields = report.fields ?? [];
  }

  static from(e: unknown): BackendError {
    if (e instanceof BackendError) return e;
    if (e && typeof e === 'object' && 'code' in e && 'message' in e) {
      return new BackendError(e as ErrorReport);
    }
    return new BackendError({ code: 'io', message: String(e), fields: [] });
  }

  /** Field name → message, for showing each error beside its field. */
  byField(): Record<string, string> {
    return Object.fromEntries(this.fields.map((f) => [f.field, f.message]));
  }
}

const KEY = Symbol('backend');

export function provideBackend(backend: Backend): void {
  setContext(KEY, backend);
}

export function useBackend(): Backend {
  return getContext<Backend>(KEY);
}
