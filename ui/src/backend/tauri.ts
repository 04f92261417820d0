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
  setupSite: (setup) => call('setup_site', { setup }),
  signIn: (username, password) => call('sign_in', { username, password }),
  unlock: (password) => call('unlock', { password }),
  lock: () => call('lock'),
  signOut: () => call('sign_out'),
  changePassword: (current, next) => call('change_password', { current, new: next }),
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
  accounts: () => call('accounts_list'),
  createAccount: (account) => call('account_create', { account }),
  updateAccount: (username, change) => call('account_update', { username, change }),
  deactivateAccount: (username) => call('account_deactivate', { username }),
  resetPassword: (username, password) => call('account_reset_password', { username, password }),
  saveSettings: (settings) => call('settings_set', { settings }),
  backupNow: () => call('backup_now'),
  backups: () => call('backups_list'),
  auditPage: (filter, offset, limit) => call('audit_page', { filter, offset, limit }),
  auditVerify: () => call('audit_verify'),
  auditExport: (filter) => call('audit_export', { filter }),
  staff: (facilityId) => call('staff_list', { facilityId }),
  addStaff: (input) => call('staff_add', { input }),
  groups: (facilityId) => call('groups_list', { facilityId }),
  saveGroup: (groupId, input) => call('group_save', { groupId, input }),
  addMember: (groupId, participantId) => call('group_member_add', { groupId, participantId }),
  removeMember: (groupId, participantId) => call('group_member_remove', { groupId, participantId }),
  week: (facilityId, from, locationId) => call('week_view', { facilityId, from, locationId }),
  moveSession: (key, to) => call('session_move', { key, to }),
  cancelSession: (key, reason) => call('session_cancel', { key, reason }),
  addSession: (groupId, at) => call('session_add', { groupId, at }),
  rollCall: (key) => call('roll_call', { key }),
  saveRollCall: (key, input) => call('roll_call_save', { key, input }),
  attendanceHistory: (participantId) => call('attendance_history', { participantId }),
  groupAttendance: (groupId) => call('group_attendance', { groupId }),
  recordPrint: (what) => call('print_recorded', { what }),
  siteCard: () => call('site_card'),
  saveSiteCard: () => call('site_card_save'),
  openPeerCard: () => call('peer_card_open'),
  peers: () => call('peers_list'),
  trustPeer: (card, heard) => call('peer_trust', { card, heard }),
  exportBundle: (peerId, full, passphrase) => call('bundle_export', { peerId, full, passphrase: passphrase ?? null }),
  importBundle: (passphrase) => call('bundle_import', { passphrase: passphrase ?? null }),
  saveReceipt: (sender) => call('receipt_save', { sender }),
  importReceipt: () => call('receipt_import'),
  conflicts: () => call('conflicts_list'),
  resolveConflict: (id, keep) => call('conflict_resolve', { id, keep }),
};
