// Server-sent events, parsed by hand: EventSource cannot send an Authorization header, so the
// console reads /v1/stream with fetch and feeds the text it gets to this parser.

/**
 * Splits `text` (what arrived so far) into complete events and the unfinished rest.
 * Comments (": ping") are dropped; several data lines join with "\n".
 * @returns {{events: {event: string, data: string, id?: string}[], rest: string}}
 */
export function parseSse(text) {
  const events = [];
  const blocks = text.split(/\r\n\r\n|\n\n|\r\r/);
  const rest = blocks.pop();
  for (const block of blocks) {
    let event = 'message', id;
    const data = [];
    for (const line of block.split(/\r\n|\n|\r/)) {
      if (line === '' || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
      else if (field === 'id') id = value;
    }
    if (data.length) events.push(id === undefined ? { event, data: data.join('\n') } : { event, data: data.join('\n'), id });
  }
  return { events, rest };
}
