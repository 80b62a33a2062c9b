import { useId, type ReactElement } from 'react';
import { Icon } from '../ui/icons';

/** "Mute notifications" as a switch (role=switch, aria-checked). */
export function MuteSwitch({ muted, onChange }: { muted: boolean; onChange: (muted: boolean) => void }): ReactElement {
  const id = useId();
  return (
    <div className="group-info__switch-row">
      <Icon name="bellOff" size={18} className="group-info__switch-icon" />
      <span className="group-info__switch-label" id={id}>
        Mute notifications
      </span>
      <button type="button" role="switch" aria-checked={muted} aria-labelledby={id} className="group-info__switch" onClick={() => onChange(!muted)}>
        <span className="group-info__switch-thumb" />
      </button>
    </div>
  );
}
