// The facility a screen works in, chosen from the person's facilities: the one they chose on that
// screen last while the app runs, else their own (the core's home facility), else the first.

import { BackendError, type Backend } from '../backend';
import type { SessionContext } from './session';
import type { Facility } from '../backend/bindings';

/** Per screen, who chose which facility last. */
const remembered = new Map<string, { username: string; facilityId: string }>();

export class FacilityChoice {
  facilities = $state<Facility[]>([]);
  /** The facility chosen, by id; bound to the screen's select. */
  id = $state('');
  error = $state<string | null>(null);
  readonly facility = $derived(this.facilities.find((f) => f.id === this.id) ?? null);

  /** Call while a component starts: it loads the facilities and remembers each choice. */
  constructor(screen: string, backend: Backend, session: SessionContext) {
    backend
      .facilitiesList()
      .then((list) => {
        this.facilities = list;
        const username = session.current?.username ?? '';
        const last = remembered.get(screen);
        const again = last?.username === username ? list.find((f) => f.id === last.facilityId)?.id : undefined;
        const home = list.find((f) => f.id === session.home)?.id;
        this.id = again ?? home ?? list[0]?.id ?? '';
      })
      .catch((e) => (this.error = BackendError.from(e).message));
    $effect(() => {
      if (this.id && session.current) remembered.set(screen, { username: session.current.username, facilityId: this.id });
    });
  }
}
