/** The OpenAPI tag of the old Meltano UI's routes, apart from ours (described in plugins/external/swagger.ts). */
export const OLD_UI_TAG = 'old-meltano-ui';

export const OLD_UI_TAG_DESCRIPTION =
  "The old Meltano UI's HTTP API (`meltano ui`, Meltano 2.20), served beside ours so scripts written " +
  'against it keep working: its paths, bodies, status codes and JSON shapes, mapped onto this server. ' +
  '`X-JSON-SCHEME: camel|snake` picks the key case of the answers. See the README section ' +
  '"Differences from the old Meltano UI" for what was fixed rather than copied. New scripts should use the other tags.';
