import { z } from 'zod';

/**
 * Per-profile app preferences. They live outside the account's local database (a JSON
 * file in the profile folder) because they outlast sign-outs and are read before any
 * account is open (start at login, window bounds, theme).
 */
export const UserStatusSchema = z.enum(['online', 'away', 'dnd']);
export type UserStatus = z.infer<typeof UserStatusSchema>;

export const ThemeSchema = z.enum(['system', 'light', 'dark']);
export type Theme = z.infer<typeof ThemeSchema>;

export const SettingsSchema = z.object({
  /** Native notifications for new messages. */
  notifications: z.boolean(),
  /** Tray menu "Pause notifications": a quick toggle that does not change `notifications`. */
  notificationsPaused: z.boolean(),
  /** Chosen status: `dnd` shows online to others but raises no notifications. */
  status: UserStatusSchema,
  startAtLogin: z.boolean(),
  /** Closing the window hides it to the tray (true) or quits (false). */
  closeToTray: z.boolean(),
  theme: ThemeSchema,
  /** The server address the sign-in screen offers first. */
  lastServerUrl: z.string().max(2048).nullable(),
});
export type Settings = z.infer<typeof SettingsSchema>;

export const DEFAULT_SETTINGS: Settings = Object.freeze({
  notifications: true,
  notificationsPaused: false,
  status: 'online',
  startAtLogin: false,
  closeToTray: true,
  theme: 'system',
  lastServerUrl: null,
});

/** What the renderer may change (lastServerUrl is set by signing in). */
export const SettingsPatchSchema = SettingsSchema.omit({ lastServerUrl: true }).partial().strict();
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;
