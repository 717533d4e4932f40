/**
 * The directory the watcher reads (demo directory or Entra ID), provided by the module of whichever
 * is configured and used by sync/. Its own folder, so neither source depends on sync/, which imports them.
 */
export const DIRECTORY_SOURCE = Symbol('DIRECTORY_SOURCE');
