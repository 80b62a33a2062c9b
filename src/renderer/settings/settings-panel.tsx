import { useId, useState, type ReactElement } from 'react';
import { conversationTitle } from '../format/names';
import { errorMessage } from '../state/bridge';
import { useApp } from '../state/app-context';
import type { LocalConversation, SettingsPatch, Theme, UserStatus } from '../state/types';
import { useStore } from '../state/use-store';
import { SidePanel } from '../ui/dialog';
import { AccountSection } from './account-section';
import { BlockedSection } from './blocked-section';
import { RadioGroup, SettingSwitch, type RadioOption } from './controls';
import { PrivacySection } from './privacy-section';
import { SessionsSection } from './sessions-section';
import './settings.css';

const STATUS_OPTIONS: ReadonlyArray<RadioOption<UserStatus>> = [
  { value: 'online', label: 'Online' },
  { value: 'away', label: 'Away' },
  { value: 'dnd', label: 'Do not disturb', description: 'No notifications; others see you online.' },
];

const THEME_OPTIONS: ReadonlyArray<RadioOption<Theme>> = [
  { value: 'system', label: 'System', description: 'Follows your computer’s light or dark mode.' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

/** App preferences, muted conversations, privacy, blocked people, signed-in devices and the account. */
export function SettingsPanel(): ReactElement {
  const app = useApp();
  const { settings } = useStore(app.session);
  const [saveError, setSaveError] = useState<string | null>(null);
  const id = useId();

  function save(patch: SettingsPatch): void {
    setSaveError(null);
    app.session.updateSettings(patch).catch((e: unknown) => setSaveError(`Couldn't save the change: ${errorMessage(e)}`));
  }

  return (
    <SidePanel title="Settings" onClose={() => app.ui.closePanel()}>
      <div className="settings-panel">
        {saveError && (
          <p className="form-error" role="alert">
            {saveError}
          </p>
        )}
        {settings === null ? (
          <p className="settings-muted" role="status">
            Loading settings…
          </p>
        ) : (
          <>
            <section className="settings-section" aria-labelledby={`${id}-status`}>
              <h3 id={`${id}-status`} className="settings-section__title">
                Status
              </h3>
              <RadioGroup legend="Status" name="status" options={STATUS_OPTIONS} value={settings.status} onChange={(status) => save({ status })} />
            </section>

            <section className="settings-section" aria-labelledby={`${id}-notifications`}>
              <h3 id={`${id}-notifications`} className="settings-section__title">
                Notifications
              </h3>
              <SettingSwitch label="Show notifications" description="A system notification for each new message." checked={settings.notifications} onChange={(notifications) => save({ notifications })} />
              <SettingSwitch
                label="Pause notifications"
                description="Silence everything for now, without changing the setting above."
                checked={settings.notificationsPaused}
                onChange={(notificationsPaused) => save({ notificationsPaused })}
              />
              <MutedConversations onError={setSaveError} />
            </section>

            <section className="settings-section" aria-labelledby={`${id}-app`}>
              <h3 id={`${id}-app`} className="settings-section__title">
                App
              </h3>
              <SettingSwitch label="Start Courier when you log in" checked={settings.startAtLogin} onChange={(startAtLogin) => save({ startAtLogin })} />
              <SettingSwitch label="Keep running in the tray when the window is closed" checked={settings.closeToTray} onChange={(closeToTray) => save({ closeToTray })} />
            </section>

            <section className="settings-section" aria-labelledby={`${id}-appearance`}>
              <h3 id={`${id}-appearance`} className="settings-section__title">
                Appearance
              </h3>
              <RadioGroup legend="Theme" name="theme" options={THEME_OPTIONS} value={settings.theme} onChange={(theme) => save({ theme })} />
            </section>
          </>
        )}
        <PrivacySection headingId={`${id}-privacy`} />
        <BlockedSection headingId={`${id}-blocked`} />
        <SessionsSection headingId={`${id}-sessions`} />
        <AccountSection headingId={`${id}-account`} />
      </div>
    </SidePanel>
  );
}

function MutedConversations({ onError }: { onError: (message: string) => void }): ReactElement {
  const app = useApp();
  const { byId, order } = useStore(app.conversations);
  const id = useId();
  const muted = order.map((cid) => byId.get(cid)).filter((c): c is LocalConversation => c?.muted === true);
  return (
    <div className="settings-muted-list">
      <h4 id={id} className="settings-subtitle">
        Muted conversations
      </h4>
      {muted.length === 0 ? (
        <p className="settings-muted">No muted conversations. Mute one from its header to stop its notifications.</p>
      ) : (
        <ul className="settings-list" aria-labelledby={id}>
          {muted.map((c) => {
            const title = conversationTitle(c, app.namesOf(c));
            return (
              <li key={c.id} className="settings-list__item settings-list__item--row">
                <span className="settings-list__name">{title}</span>
                <button
                  type="button"
                  className="btn btn--secondary"
                  aria-label={`Unmute ${title}`}
                  onClick={() => void app.conversations.setMuted(c.id, false).catch((e: unknown) => onError(`Couldn't unmute ${title}: ${errorMessage(e)}`))}
                >
                  Unmute
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
