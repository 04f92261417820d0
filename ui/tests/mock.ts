import { vi } from 'vitest';
import type { Backend } from '../src/backend';
import type { Enrolment, Facility, ParticipantInput, ParticipantView, RosterRow } from '../src/lib/types';

export const facility: Facility = {
  id: 'f1',
  name: 'Riverside County Jail',
  code: 'RCJ',
  units: [{ id: 'u1', kind: 'unit', name: 'A-North' }],
  rooms: [],
};

export function row(i: number, name = `PERSON ${i}, Test`): RosterRow {
  return {
    id: `p${i}`,
    legal_name: name,
    preferred_name: null,
    facility_number: `RCJ-${1000 + i}`,
    facility_code: 'RCJ',
    unit_name: 'A-North',
    dob: '1988-03-14',
    status: 'active',
    release_date: '2027-01-15',
  };
}

export function view(input: ParticipantInput, id = 'p1'): ParticipantView {
  return {
    form: input,
    participant: {
      id,
      legal_name: input.legal_name,
      preferred_name: input.preferred_name || null,
      dob: input.dob,
      facility_number: input.facility_number,
      facility_id: input.facility_id,
      facility_name: facility.name,
      unit_id: input.unit_id || null,
      unit_name: null,
      admission_date: input.admission_date,
      release_date: input.release_date || null,
      program: input.program || null,
      status: 'active',
      status_date: input.admission_date,
      status_note: null,
      language: input.language,
      notes: input.notes || null,
    },
  };
}

/** A backend whose every call is a spy; tests override the calls they care about. */
export function mockBackend(overrides: Partial<Backend> = {}): Backend {
  const base: Backend = {
    appInfo: vi.fn(async () => ({ version: '0.1.0', db_path: '/tmp/x.db', site: null })),
    setupSite: vi.fn(async () => ({ site_id: 's1', name: 'Site', created_ms: 0 })),
    facilities: vi.fn(async () => [facility]),
    createFacility: vi.fn(async (f) => ({ id: 'f2', name: f.name, code: f.code, units: [], rooms: [] })),
    addLocation: vi.fn(async (_f: string, kind: 'unit' | 'room', name: string) => ({ id: `l-${name}`, kind, name })),
    rosterPage: vi.fn(async (_f, offset: number, limit: number) => ({
      total: 100000,
      offset,
      rows: Array.from({ length: limit }, (_, k) => row(offset + k)),
    })),
    search: vi.fn(async () => ({ rows: [], more: false })),
    participant: vi.fn(async () => {
      throw { code: 'not_found', message: 'no participant with id p1', fields: [] };
    }),
    enroll: vi.fn(async (input: ParticipantInput): Promise<Enrolment> => ({ outcome: 'enrolled', participant: view(input).participant })),
    update: vi.fn(async (_id: string, _o: ParticipantInput, edited: ParticipantInput) => view(edited)),
    setStatus: vi.fn(async () => {
      throw { code: 'not_found', message: 'no participant', fields: [] };
    }),
    remove: vi.fn(async () => {}),
  };
  return { ...base, ...overrides };
}
