/** Project settings Meltano marks secret (§2.5); `database_uri` is not, its URI password is masked instead. */
export const PROJECT_SECRETS: ReadonlySet<string> = new Set([
  'state_backend.azure.connection_string',
  'state_backend.s3.aws_access_key_id',
  'state_backend.s3.aws_secret_access_key',
  'state_backend.gcs.application_credentials',
  'state_backend.gcs.application_credentials_path',
  'state_backend.gcs.application_credentials_json',
  'mail.password',
]);
