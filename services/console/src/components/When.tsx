import { localTimeText, relativeTimeText } from '../words/time-words.js';

/**
 * A moment as people read it: relative ("3 hours ago") with the full local
 * date and time on hover and for screen readers' "more" (the `title`), and the
 * machine-readable instant in `dateTime`.
 */
export function When({ time, relative = true }: { time: string; relative?: boolean }) {
  const full = localTimeText(time);
  return (
    <time dateTime={time} title={full}>
      {relative ? relativeTimeText(time) : full}
    </time>
  );
}
