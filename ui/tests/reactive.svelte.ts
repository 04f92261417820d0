// Wraps a plain object in Svelte's deep state, as a parent component's $state would be.
export function reactive<T extends object>(value: T): T {
  const state = $state(value);
  return state;
}
