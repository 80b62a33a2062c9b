import type { ReactElement } from 'react';
import { useShortcuts } from './app/use-shortcuts';
import { useTheme, useUnreadTitle } from './app/use-theme';
import { ConnectionBanner } from './connection/connection-banner';
import { ConversationView, NoConversation } from './conversation/conversation-view';
import { NewDirectDialog } from './dialogs/new-direct-dialog';
import { NewGroupDialog } from './dialogs/new-group-dialog';
import { QuickSwitcher } from './dialogs/quick-switcher';
import { GroupInfoPanel } from './group-info/group-info-panel';
import { SearchPanel } from './search/search-panel';
import { SettingsPanel } from './settings/settings-panel';
import { Sidebar } from './sidebar/sidebar';
import { SignInScreen } from './sign-in/sign-in-screen';
import { useApp } from './state/app-context';
import { useStore, useStoreValue } from './state/use-store';
import './app/app.css';

/** The window: the sign-in screen, or sidebar | conversation | optional panel, with dialogs on top. */
export function App(): ReactElement {
  const app = useApp();
  const session = useStore(app.session);
  const ui = useStore(app.ui);
  const platform = window.courier.app.platform;
  useTheme(session.settings?.theme);
  useUnreadTitle(session.unreadTotal);
  useShortcuts(app, platform);
  const activeId = ui.activeConversationId;
  // Only the open conversation: presence and typing elsewhere must not re-render the window.
  const active = useStoreValue(app.conversations, (c) => (activeId === null ? undefined : c.byId.get(activeId)));

  if (!session.loaded) return <div className="app-loading" aria-busy="true" aria-label="Loading Courier" />;
  // No account, or the server ended this one (revoked elsewhere): sign in again. The local
  // history and outbox of the same account survive a sign-in as that user.
  if (session.account === null || (session.connection.status === 'signedOut' && session.connection.error !== null)) {
    return <SignInScreen />;
  }

  return (
    <div className="app">
      <Sidebar />
      <main className="app__main">
        <ConnectionBanner />
        <div className="app__content">
          {active ? <ConversationView key={`conversation:${active.id}`} conversation={active} /> : <NoConversation platform={platform} />}
          {ui.panel === 'search' && <SearchPanel />}
          {ui.panel === 'settings' && <SettingsPanel />}
          {ui.panel === 'groupInfo' && active && <GroupInfoPanel key={`info:${active.id}`} conversationId={active.id} />}
        </div>
      </main>
      {ui.panel === 'newDirect' && <NewDirectDialog />}
      {ui.panel === 'newGroup' && <NewGroupDialog />}
      {ui.panel === 'quickSwitcher' && <QuickSwitcher />}
    </div>
  );
}
