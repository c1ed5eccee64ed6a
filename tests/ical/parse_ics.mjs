// Parses an iCalendar file from stdin with ical.js (a real RFC 5545 parser, as calendar web apps
// use) and prints what it read as one JSON object: the calendar's properties and each event's.
// A file it cannot parse exits non-zero with the parser's message on stderr.
import { readFileSync } from 'node:fs';
import ICAL from 'ical.js';

const text = readFileSync(0, 'utf8');
const calendar = new ICAL.Component(ICAL.parse(text));
if (calendar.name !== 'vcalendar') throw new Error(`top component is ${calendar.name}, not vcalendar`);
const time = (v, name) => {
  const t = v.getFirstPropertyValue(name);
  return t && { text: t.toString(), utc: t.zone === ICAL.Timezone.utcTimezone, epoch: t.toUnixTime() };
};
const out = {
  version: calendar.getFirstPropertyValue('version'),
  prodid: calendar.getFirstPropertyValue('prodid'),
  events: calendar.getAllSubcomponents('vevent').map((v) => {
    const event = new ICAL.Event(v);
    const categories = v.getFirstProperty('categories');
    return {
      uid: event.uid,
      dtstart: time(v, 'dtstart'),
      dtstamp: time(v, 'dtstamp'),
      summary: event.summary,
      description: event.description,
      status: v.getFirstPropertyValue('status'),
      categories: categories ? categories.getValues() : [],
      transp: v.getFirstPropertyValue('transp'),
    };
  }),
};
process.stdout.write(JSON.stringify(out) + '\n');
