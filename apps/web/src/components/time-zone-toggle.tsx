import { localZoneName, setTimeZone, type TimeZoneMode, useTimeZone } from '../lib/time-zone';

/** Local time or UTC for every absolute time in the app (hover titles, charts, run pages). */
export function TimeZoneToggle() {
  const zone = useTimeZone();
  return (
    <label className="theme">
      <span className="sr-only">Show times in</span>
      <select
        value={zone}
        title={zone === 'utc' ? 'Times in UTC' : `Times in your zone, ${localZoneName()}`}
        onChange={(e) => setTimeZone(e.target.value as TimeZoneMode)}
      >
        <option value="local">Local time</option>
        <option value="utc">UTC</option>
      </select>
    </label>
  );
}
