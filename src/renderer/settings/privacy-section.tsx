import type { ReactElement } from 'react';
import { useApp } from '../state/app-context';
import { useStore } from '../state/use-store';
import { SettingSwitch } from './controls';

/** Who sees when I was last online: everyone I have an accepted conversation with (on), or nobody (off). */
export function PrivacySection({ headingId }: { headingId: string }): ReactElement {
  const app = useApp();
  const { privacy, saving, error } = useStore(app.privacy);
  return (
    <section className="settings-section" aria-labelledby={headingId}>
      <h3 id={headingId} className="settings-section__title">
        Privacy
      </h3>
      <SettingSwitch
        label="Show when I was last online"
        description="People you share an accepted conversation with can see it. Turn it off to hide it from everyone."
        checked={privacy?.lastSeen === 'contacts'}
        disabled={privacy === null || saving}
        onChange={(on) => void app.privacy.setLastSeen(on ? 'contacts' : 'nobody')}
      />
      {privacy === null && (
        <p className="settings-muted" role="status">
          Available once Courier has connected to your server.
        </p>
      )}
      {error !== null && (
        <p className="form-error" role="alert">
          Couldn't save the change: {error}
        </p>
      )}
    </section>
  );
}
