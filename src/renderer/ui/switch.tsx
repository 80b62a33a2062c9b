import type { ReactElement } from 'react';
import './ui.css';

/** An on/off control: a `role="switch"` button named by the element `labelledBy` points at. */
export function Switch({ checked, onChange, labelledBy, describedBy, disabled }: { checked: boolean; onChange: (next: boolean) => void; labelledBy: string; describedBy?: string; disabled?: boolean }): ReactElement {
  return (
    <button type="button" role="switch" className="switch" aria-checked={checked} aria-labelledby={labelledBy} aria-describedby={describedBy} disabled={disabled} onClick={() => onChange(!checked)}>
      <span className="switch__thumb" aria-hidden="true" />
    </button>
  );
}
