import { EventStreamParser } from './server-sent-events';

describe('EventStreamParser', () => {
  it('yields each event once its blank line arrives, whatever the chunks', () => {
    const parser = new EventStreamParser();
    expect(parser.push('event: progress\ndata: {"a"')).toEqual([]);
    expect(parser.push(':1}\n\n: keep-alive\n\nevent: progress\r\ndata: 2\r\n\r\ndata: x\ndata: y\n\n')).toEqual([
      { event: 'progress', data: '{"a":1}' },
      { event: 'progress', data: '2' },
      { event: 'message', data: 'x\ny' },
    ]);
  });
});
