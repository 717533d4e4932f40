import { EventEmitter } from 'node:events';

/**
 * "Entra says something changed": a change notification, a lifecycle warning that some were
 * missed, or a subscription recreated after a gap. The source hands it to the watcher, which then
 * runs an incremental cycle at once instead of at the next poll.
 */
export class EntraChangeSignal {
  private readonly emitter = new EventEmitter();

  emit(): void {
    this.emitter.emit('change');
  }

  subscribe(listener: () => void): () => void {
    this.emitter.on('change', listener);
    return () => this.emitter.off('change', listener);
  }
}
