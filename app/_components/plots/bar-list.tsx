// Horizontal bars with a label and a value, for small breakdowns (drops by reason, seeds
// that held per check): the bar's length is the value's share of `max`.
export interface BarItem {
  label: string;
  value: number;
  /** Text shown at the end of the row; the value by default. */
  text?: string;
  tone?: "ok" | "bad" | "info" | "warn" | "muted";
  testId?: string;
}

export function BarList({ items, max, label }: { items: BarItem[]; max?: number; label: string }) {
  const top = max ?? Math.max(1, ...items.map((i) => i.value));
  return (
    <ul className="bars" aria-label={label}>
      {items.map((item) => (
        <li key={item.label} data-testid={item.testId}>
          <span className="bar-label">{item.label}</span>
          <span className="bar-track">
            <span className={`bar-fill ${item.tone ?? "info"}`} style={{ width: `${top > 0 ? Math.min(100, (item.value / top) * 100) : 0}%` }} />
          </span>
          <span className="bar-value">{item.text ?? item.value.toLocaleString("en-US")}</span>
        </li>
      ))}
    </ul>
  );
}
