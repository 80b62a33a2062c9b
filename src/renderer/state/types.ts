// The renderer's view of the shared types, in one place (type-only: nothing here reaches the bundle).
export type {
  Account,
  ConnectionState,
  ConnectionStatus,
  LocalConversation,
  LocalMessage,
  MessagePage,
  OutboxSummary,
  SearchHit,
  Settings,
  SettingsPatch,
  Theme,
  Typing,
  UserStatus,
} from '../../shared/ipc';
export type { LastSeenVisibility, Member, MemberState, Presence, PresenceStatus, Privacy, ServerInfo, SessionInfo, SystemEvent, User } from '../../shared/protocol';
