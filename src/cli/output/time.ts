// Dates the way ipmitool 1.8.19 prints them: strftime "%x %X %Z" in the C locale, i.e.
// MM/DD/YY HH:MM:SS ZONE in local time, or UTC with -Z / TZ=UTC.

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

export function formatTimestamp(sec: number, env: NodeJS.ProcessEnv = process.env, utc = false): string {
  const d = new Date(sec * 1000);
  const useUtc = utc || env.TZ === 'UTC' || env.TZ === 'UTC0' || env.TZ === ':UTC';
  if (useUtc) {
    return `${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/${pad(d.getUTCFullYear() % 100)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC`;
  }
  const zone = new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' }).formatToParts(d).find((p) => p.type === 'timeZoneName')?.value ?? 'UTC';
  return `${pad(d.getMonth() + 1)}/${pad(d.getDate())}/${pad(d.getFullYear() % 100)} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())} ${zone}`;
}
