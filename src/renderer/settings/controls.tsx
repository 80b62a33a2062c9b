import { useId, type ReactElement } from 'react';
import { Switch } from '../ui/switch';

/** An on/off setting: a labelled `role="switch"` button, with an optional explanation. */
export function SettingSwitch({ label, description, checked, disabled, onChange }: { label: string; description?: string; checked: boolean; disabled?: boolean; onChange: (next: boolean) => void }): ReactElement {
  const id = useId();
  return (
    <div className="settings-switch">
      <div className="settings-switch__text">
        <span id={`${id}-label`} className="settings-switch__label">
          {label}
        </span>
        {description && (
          <span id={`${id}-description`} className="settings-switch__description">
            {description}
          </span>
        )}
      </div>
      <Switch checked={checked} onChange={onChange} labelledBy={`${id}-label`} {...(description ? { describedBy: `${id}-description` } : {})} {...(disabled ? { disabled } : {})} />
    </div>
  );
}

export interface RadioOption<T extends string> {
  value: T;
  label: string;
  description?: string;
}

/** One choice among a few: native radio buttons in a fieldset (arrow keys move between them). */
export function RadioGroup<T extends string>({ legend, name, options, value, disabled, onChange }: { legend: string; name: string; options: ReadonlyArray<RadioOption<T>>; value: T; disabled?: boolean; onChange: (next: T) => void }): ReactElement {
  const id = useId();
  return (
    <fieldset className="settings-radios" disabled={disabled}>
      <legend className="visually-hidden">{legend}</legend>
      {options.map((o) => (
        <label key={o.value} className="settings-radios__option">
          <input
            type="radio"
            name={`${id}-${name}`}
            value={o.value}
            checked={value === o.value}
            aria-labelledby={`${id}-${o.value}-label`}
            aria-describedby={o.description ? `${id}-${o.value}-description` : undefined}
            onChange={() => onChange(o.value)}
          />
          <span className="settings-radios__text">
            <span id={`${id}-${o.value}-label`} className="settings-radios__label">
              {o.label}
            </span>
            {o.description && (
              <span id={`${id}-${o.value}-description`} className="settings-radios__description">
                {o.description}
              </span>
            )}
          </span>
        </label>
      ))}
    </fieldset>
  );
}
