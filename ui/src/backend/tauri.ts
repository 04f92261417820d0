import { invoke } from '@tauri-apps/api/core';
import { BackendError, type Backend } from './index';

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    throw BackendError.from(e);
  }
}

export const tauriBackend: Backend = {
  appInfo: () => call('app_info'),
  setupSite: (siteName, facility) => call('setup_site', { siteName, facility }),
  facilities: () => call('facilities_list'),
  createFacility: (facility) => call('facility_create', { facility }),
  addLocation: (facilityId, kind, name) => call('location_add', { facilityId, kind, name }),
  rosterPage: (filter, offset, limit) => call('roster_page', { filter, offset, limit }),
  search: (text, filter, limit) => call('roster_search', { text, filter, limit }),
  participant: (id) => call('participant_get', { id }),
  enroll: (input, check) => call('participant_enroll', { input, check }),
  update: (id, original, edited) => call('participant_update', { id, original, edited }),
  setStatus: (id, change) => call('participant_set_status', { id, change }),
  remove: (id) => call('participant_delete', { id }),
};
