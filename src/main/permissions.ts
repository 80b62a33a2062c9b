/**
 * Permissions (camera, notifications, geolocation, ...) the renderer may be granted.
 *
 * Empty on purpose: nothing the start screen does needs one, and Electron's default is to
 * grant everything. When a feature needs a permission (notifications, most likely), add it
 * here together with the feature and a test.
 */
const GRANTED_PERMISSIONS: ReadonlySet<string> = new Set<string>();

export function isPermissionGranted(permission: string): boolean {
  return GRANTED_PERMISSIONS.has(permission);
}
