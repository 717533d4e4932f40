import type { DirectoryStore } from './directory-store';
import type { ResolvedEmulatorOptions } from './emulator-options';

/** What route handlers read at request time; `store` is replaced wholesale by a reset. */
export interface EmulatorContext {
  readonly store: DirectoryStore;
  readonly options: ResolvedEmulatorOptions;
}
