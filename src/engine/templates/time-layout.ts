/**
 * `now`'s formatting: Go's reference-time layouts ("2006-01-02T15:04:05Z07:00"),
 * always in UTC, plus the Go layout names. Supported layout elements: 2006 06 01 1
 * Jan January 02 2 _2 002 15 03 3 04 4 05 5 PM pm Mon Monday MST, zones Z07:00 Z0700
 * Z07 -07:00 -0700 -07, and fractional seconds .000/.999 (up to 9 digits; JavaScript
 * clocks stop at milliseconds, so digits past the third are 0).
 */
export const TIME_LAYOUTS: ReadonlyMap<string, string> = new Map([
  ["ANSIC", "Mon Jan _2 15:04:05 2006"],
  ["UnixDate", "Mon Jan _2 15:04:05 MST 2006"],
  ["RubyDate", "Mon Jan 02 15:04:05 -0700 2006"],
  ["RFC822", "02 Jan 06 15:04 MST"],
  ["RFC822Z", "02 Jan 06 15:04 -0700"],
  ["RFC850", "Monday, 02-Jan-06 15:04:05 MST"],
  ["RFC1123", "Mon, 02 Jan 2006 15:04:05 MST"],
  ["RFC1123Z", "Mon, 02 Jan 2006 15:04:05 -0700"],
  ["RFC3339", "2006-01-02T15:04:05Z07:00"],
  ["RFC3339Nano", "2006-01-02T15:04:05.999999999Z07:00"],
  ["Kitchen", "3:04PM"],
  ["Stamp", "Jan _2 15:04:05"],
  ["StampMilli", "Jan _2 15:04:05.000"],
  ["StampMicro", "Jan _2 15:04:05.000000"],
  ["StampNano", "Jan _2 15:04:05.000000000"],
  ["DateTime", "2006-01-02 15:04:05"],
  ["DateOnly", "2006-01-02"],
  ["TimeOnly", "15:04:05"],
]);

const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];
const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

const pad = (n: number, width: number, fill = "0") => String(n).padStart(width, fill);

/** Layout elements, longest first where one is a prefix of another. */
const ELEMENTS: readonly [string, (d: Date) => string][] = [
  ["January", (d) => MONTHS[d.getUTCMonth()]!],
  ["Jan", (d) => MONTHS[d.getUTCMonth()]!.slice(0, 3)],
  ["Monday", (d) => DAYS[d.getUTCDay()]!],
  ["Mon", (d) => DAYS[d.getUTCDay()]!.slice(0, 3)],
  ["MST", () => "UTC"],
  ["2006", (d) => pad(d.getUTCFullYear(), 4)],
  ["002", (d) => pad(dayOfYear(d), 3)],
  ["01", (d) => pad(d.getUTCMonth() + 1, 2)],
  ["02", (d) => pad(d.getUTCDate(), 2)],
  ["03", (d) => pad(d.getUTCHours() % 12 || 12, 2)],
  ["04", (d) => pad(d.getUTCMinutes(), 2)],
  ["05", (d) => pad(d.getUTCSeconds(), 2)],
  ["06", (d) => pad(d.getUTCFullYear() % 100, 2)],
  ["15", (d) => pad(d.getUTCHours(), 2)],
  ["_2", (d) => pad(d.getUTCDate(), 2, " ")],
  ["1", (d) => String(d.getUTCMonth() + 1)],
  ["2", (d) => String(d.getUTCDate())],
  ["3", (d) => String(d.getUTCHours() % 12 || 12)],
  ["4", (d) => String(d.getUTCMinutes())],
  ["5", (d) => String(d.getUTCSeconds())],
  ["PM", (d) => (d.getUTCHours() >= 12 ? "PM" : "AM")],
  ["pm", (d) => (d.getUTCHours() >= 12 ? "pm" : "am")],
  ["Z07:00", () => "Z"],
  ["Z0700", () => "Z"],
  ["Z07", () => "Z"],
  ["-07:00", () => "+00:00"],
  ["-0700", () => "+0000"],
  ["-07", () => "+00"],
];

function dayOfYear(d: Date): number {
  return Math.floor((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000) + 1;
}

/** Fractional seconds at `i` (`.000`, `,999`…): the element's length, or 0. */
function fractionAt(layout: string, i: number): number {
  const sep = layout[i];
  const digit = layout[i + 1];
  if ((sep !== "." && sep !== ",") || (digit !== "0" && digit !== "9")) return 0;
  let j = i + 1;
  while (layout[j] === digit) j++;
  if (/[0-9]/.test(layout[j] ?? "")) return 0;
  return j - i;
}

function formatFraction(d: Date, element: string): string {
  const digits = element.length - 1;
  const all = `${pad(d.getUTCMilliseconds(), 3)}000000`.slice(0, Math.min(digits, 9));
  if (element[1] === "0") return element[0] + all;
  const trimmed = all.replace(/0+$/, "");
  return trimmed === "" ? "" : element[0] + trimmed;
}

/** `date` in UTC per a Go layout; text that is no layout element is copied. */
export function formatGoTime(date: Date, layout: string): string {
  let out = "";
  let i = 0;
  outer: while (i < layout.length) {
    const fraction = fractionAt(layout, i);
    if (fraction > 0) {
      out += formatFraction(date, layout.slice(i, i + fraction));
      i += fraction;
      continue;
    }
    for (const [element, format] of ELEMENTS) {
      if (layout.startsWith(element, i)) {
        out += format(date);
        i += element.length;
        continue outer;
      }
    }
    out += layout[i];
    i++;
  }
  return out;
}
