// One way to run an action from a screen section and say what came of it beside that section:
// the core's refusal as a banner or beside each field it names, or what was done.

import { getContext, setContext } from 'svelte';
import { BackendError } from '../backend';

/** The sections of one page: only the action run last says what it came to, so an old "saved"
 * in one section is not left standing beside a new refusal in another. */
export class Page {
  last = $state<object | null>(null);
}

const PAGE = Symbol('page');

/** Makes a page for the sections inside this component. */
export function providePage(): Page {
  return setContext(PAGE, new Page());
}

/** The page this section is part of, if any. */
export function usePage(): Page | undefined {
  return getContext<Page | undefined>(PAGE);
}

export class Action<T> {
  /** The per-field messages of the last refusal. */
  errors = $state<Record<string, string>>({});
  /** A refusal that names no field. */
  banner = $state<string | null>(null);
  /** What the last action did. */
  message = $state<string | null>(null);
  /** Which of the section's forms or rows the last refusal answers, so its field errors show
   * there and not in a sibling row with the same fields. */
  private refused = $state<string | null>(null);

  /** `onResult` takes what an action gives back (for a plan section, the whole plan as it now
   * stands); `page`, when given, is shared with the page's other sections. */
  constructor(
    private readonly onResult: (result: T) => void,
    private readonly page?: Page,
  ) {}

  /** Whether this section's answer is the one to show. */
  get shown(): boolean {
    return !this.page || this.page.last === this;
  }

  /** Runs `work` for the form or row `form`; true when it went through. `done` is said on
   * success; `work` may say something itself with `say`. */
  async run(form: string, work: () => Promise<T | void>, done?: string): Promise<boolean> {
    if (this.page) this.page.last = this;
    this.message = null;
    try {
      const result = await work();
      if (result) this.onResult(result);
      this.errors = {};
      this.refused = null;
      this.banner = null;
      if (done) this.message = done;
      return true;
    } catch (e) {
      this.message = null;
      this.refused = form;
      ({ errors: this.errors, banner: this.banner } = BackendError.explain(e));
      return false;
    }
  }

  say(message: string): void {
    this.message = message;
  }

  /** The refusal's message for `field` of `form`, if the last refusal was about that form. */
  error(form: string, field: string): string | undefined {
    return this.shown && this.refused === form ? this.errors[field] : undefined;
  }
}
