// One way to run an action from a screen section and say what came of it beside that section:
// the core's refusal as a banner or beside each field it names, or what was done.

import { BackendError } from '../backend';

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
   * stands). */
  constructor(private readonly onResult: (result: T) => void) {}

  /** Runs `work` for the form or row `form`; true when it went through. `done` is said on
   * success; `work` may say something itself with `say`. */
  async run(form: string, work: () => Promise<T | void>, done?: string): Promise<boolean> {
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
    return this.refused === form ? this.errors[field] : undefined;
  }
}
