// jsdom does no layout, so it has no ResizeObserver; Svelte's bind:clientHeight needs one to
// exist. Sizes then stay at their initial values, which the tests allow for.
class NoLayoutResizeObserver {
  observe(): void {}
  unobserve(): void {}
  disconnect(): void {}
}
globalThis.ResizeObserver ??= NoLayoutResizeObserver as unknown as typeof ResizeObserver;

// Without vitest globals the testing library cannot register its own clean-up: unmount every
// screen after each test so the next one starts with an empty document.
import { afterEach } from 'vitest';
import { cleanup } from '@testing-library/svelte';
afterEach(() => cleanup());

// jsdom does not lay anything out, so it has no scrolling either.
Element.prototype.scrollIntoView ??= () => {};
