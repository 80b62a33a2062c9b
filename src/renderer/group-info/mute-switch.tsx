import { useId, type ReactElement } from 'react';
import { Icon } from '../ui/icons';
import { Switch } from '../ui/switch';

/** "Mute notifications" as a switch (role=switch, aria-checked). */
export function MuteSwitch({ muted, onChange }: { muted: boolean; onChange: (muted: boolean) => void }): ReactElement {
  const id = useId();
  return (
    <div className="group-info__switch-row">
      <Icon name="bellOff" size={18} className="group-info__switch-icon" />
      <span className="group-info__switch-label" id={id}>
        Mute notifications
      </span>
      <Switch checked={muted} onChange={onChange} labelledBy={id} />
    </div>
  );
}
