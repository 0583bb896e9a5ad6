// The fields of the list filters (my scenarios, my runs, the gallery): plain GET-form
// fields, so a filtered list is a link like any other.
import { FAULT_KINDS } from "./fault-kinds";

export function NameField({ label = "Name", defaultValue }: { label?: string; defaultValue?: string }) {
  return (
    <div className="field" style={{ flex: 2 }}>
      <label htmlFor="q">{label}</label>
      <input id="q" name="q" type="search" defaultValue={defaultValue ?? ""} placeholder="Search by name" />
    </div>
  );
}

export function SelectField({ name, label, options, defaultValue }: { name: string; label: string; options: [value: string, text: string][]; defaultValue?: string }) {
  return (
    <div className="field">
      <label htmlFor={name}>{label}</label>
      <select id={name} name={name} defaultValue={defaultValue ?? ""}>
        {options.map(([value, text]) => (
          <option key={value} value={value}>{text}</option>
        ))}
      </select>
    </div>
  );
}

export function FaultKindField({ defaultValue }: { defaultValue?: string }) {
  return <SelectField name="fault" label="Fault kind" defaultValue={defaultValue} options={[["", "any"], ...FAULT_KINDS.map((k): [string, string] => [k, k])]} />;
}

export function VerdictField({ defaultValue }: { defaultValue?: string }) {
  return <SelectField name="verdict" label="Verdict" defaultValue={defaultValue} options={[["", "any"], ["pass", "all checks hold"], ["fail", "a check failed"]]} />;
}

export function DateSortField({ defaultValue }: { defaultValue: "newest" | "oldest" }) {
  return <SelectField name="sort" label="Sort" defaultValue={defaultValue} options={[["newest", "newest first"], ["oldest", "oldest first"]]} />;
}
