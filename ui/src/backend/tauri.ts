// The app's backend: the generated commands, which call the desktop shell through Tauri.

import { commands } from './bindings';
import type { Backend } from './index';

export const tauriBackend: Backend = commands;
