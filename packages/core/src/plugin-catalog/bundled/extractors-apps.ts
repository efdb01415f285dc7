import {
  type BundledPlugin,
  choice,
  date,
  flag,
  LEGACY_TAP,
  list,
  object,
  SDK_TAP,
  secret,
  text,
} from './bundled.types.js';

/** Extractors for SaaS applications and APIs. */
export const APP_EXTRACTORS: BundledPlugin[] = [
  {
    name: 'tap-github',
    namespace: 'tap_github',
    label: 'GitHub',
    description: 'Code hosting and collaboration platform',
    variants: [
      {
        variant: 'meltanolabs',
        pip_url: 'meltanolabs-tap-github',
        capabilities: SDK_TAP,
        settings: [
          secret('auth_token', 'Auth Token', 'Personal access token for the GitHub API.'),
          list('repositories', 'Repositories', 'Repositories to extract, as owner/name.'),
          list('organizations', 'Organizations', 'Organizations whose repositories are extracted.'),
          date('start_date', 'Start Date', 'Earliest record date to extract.'),
          text('user_agent', 'User Agent', 'User agent sent with each request.'),
        ],
      },
    ],
  },
  {
    name: 'tap-gitlab',
    namespace: 'tap_gitlab',
    label: 'GitLab',
    description: 'DevOps platform with source control, CI/CD and issue tracking',
    variants: [
      {
        variant: 'meltanolabs',
        pip_url: 'git+https://github.com/MeltanoLabs/tap-gitlab.git',
        capabilities: SDK_TAP,
        settings: [
          text('api_url', 'API URL', 'GitLab instance URL, https://gitlab.com by default.'),
          secret('private_token', 'Private Token', 'Personal access token with read_api scope.'),
          text('groups', 'Groups', 'Space-separated group paths to extract.'),
          text('projects', 'Projects', 'Space-separated project paths (namespace/project).'),
          date('start_date', 'Start Date', 'Earliest record date to extract.'),
        ],
      },
    ],
  },
  {
    name: 'tap-salesforce',
    namespace: 'tap_salesforce',
    label: 'Salesforce',
    description: 'Customer relationship management platform',
    variants: [
      {
        variant: 'meltanolabs',
        pip_url: 'git+https://github.com/MeltanoLabs/tap-salesforce.git',
        capabilities: ['catalog', 'discover', 'state', 'properties'],
        settings: [
          text('client_id', 'Client ID', 'Connected app consumer key.'),
          secret('client_secret', 'Client Secret', 'Connected app consumer secret.'),
          secret('refresh_token', 'Refresh Token', 'OAuth refresh token of the extracting user.'),
          date('start_date', 'Start Date', 'Earliest record date to extract.'),
          choice('api_type', 'API Type', 'Salesforce API used to read records.', ['REST', 'BULK']),
          flag('is_sandbox', 'Sandbox', 'Connect to a sandbox organisation.'),
        ],
      },
    ],
  },
  {
    name: 'tap-hubspot',
    namespace: 'tap_hubspot',
    label: 'HubSpot',
    description: 'Inbound marketing, sales and customer service platform',
    variants: [
      {
        variant: 'meltanolabs',
        pip_url: 'git+https://github.com/MeltanoLabs/tap-hubspot.git',
        capabilities: SDK_TAP,
        settings: [
          secret('access_token', 'Access Token', 'Private app access token.'),
          date('start_date', 'Start Date', 'Earliest record date to extract.'),
        ],
      },
    ],
  },
  {
    name: 'tap-stripe',
    namespace: 'tap_stripe',
    label: 'Stripe',
    description: 'Online payment processing',
    variants: [
      {
        variant: 'prratek',
        pip_url: 'git+https://github.com/prratek/tap-stripe.git',
        capabilities: SDK_TAP,
        settings: [
          secret('api_key', 'API Key', 'Secret API key of the Stripe account.'),
          text('account_id', 'Account ID', 'Stripe account to extract, acct_...'),
          date('start_date', 'Start Date', 'Earliest record date to extract.'),
        ],
      },
    ],
  },
  {
    name: 'tap-shopify',
    namespace: 'tap_shopify',
    label: 'Shopify',
    description: 'E-commerce platform',
    variants: [
      {
        variant: 'matatika',
        pip_url: 'git+https://github.com/Matatika/tap-shopify.git',
        capabilities: SDK_TAP,
        settings: [
          text('store', 'Store', 'Store name, the part before .myshopify.com.'),
          secret('access_token', 'Access Token', 'Admin API access token of a custom app.'),
          date('start_date', 'Start Date', 'Earliest record date to extract.'),
        ],
      },
    ],
  },
  {
    name: 'tap-google-analytics',
    namespace: 'tap_google_analytics',
    label: 'Google Analytics',
    description: 'Web and app analytics (GA4 properties)',
    variants: [
      {
        variant: 'meltanolabs',
        pip_url: 'git+https://github.com/MeltanoLabs/tap-google-analytics.git',
        capabilities: SDK_TAP,
        settings: [
          text('property_id', 'Property ID', 'GA4 property to report on.'),
          { ...object('client_secrets', 'Client Secrets', 'Service account key JSON.'), sensitive: true },
          date('start_date', 'Start Date', 'First day of the reports.'),
          date('end_date', 'End Date', 'Last day of the reports; today when empty.'),
        ],
      },
    ],
  },
  {
    name: 'tap-google-sheets',
    namespace: 'tap_google_sheets',
    label: 'Google Sheets',
    description: 'Spreadsheets in Google Drive',
    variants: [
      {
        variant: 'singer-io',
        pip_url: 'git+https://github.com/singer-io/tap-google-sheets.git',
        capabilities: LEGACY_TAP,
        settings: [
          text('client_id', 'Client ID', 'OAuth client ID.'),
          secret('client_secret', 'Client Secret', 'OAuth client secret.'),
          secret('refresh_token', 'Refresh Token', 'OAuth refresh token.'),
          text('spreadsheet_id', 'Spreadsheet ID', 'The ID in the spreadsheet URL.'),
          date('start_date', 'Start Date', 'Only sheets changed since this date are read.'),
          text('user_agent', 'User Agent', 'User agent sent with each request.'),
        ],
      },
    ],
  },
  {
    name: 'tap-slack',
    namespace: 'tap_slack',
    label: 'Slack',
    description: 'Team messaging',
    variants: [
      {
        variant: 'meltanolabs',
        pip_url: 'git+https://github.com/MeltanoLabs/tap-slack.git',
        capabilities: SDK_TAP,
        settings: [
          secret('api_key', 'API Key', 'Bot user OAuth token.'),
          date('start_date', 'Start Date', 'Earliest message date to extract.'),
          list('channel_types', 'Channel Types', 'public_channel, private_channel, mpim or im.'),
          flag('auto_join_channels', 'Auto Join Channels', 'Join public channels to read them.'),
        ],
      },
    ],
  },
  {
    name: 'tap-jira',
    namespace: 'tap_jira',
    label: 'Jira',
    description: 'Issue and project tracking',
    variants: [
      {
        variant: 'meltanolabs',
        pip_url: 'git+https://github.com/MeltanoLabs/tap-jira.git',
        capabilities: SDK_TAP,
        settings: [
          text('domain', 'Domain', 'Site domain, such as example.atlassian.net.'),
          text('email', 'Email', 'Email of the account the API token belongs to.'),
          secret('api_token', 'API Token', 'Atlassian API token.'),
          date('start_date', 'Start Date', 'Earliest issue update to extract.'),
        ],
      },
    ],
  },
  {
    name: 'tap-zendesk',
    namespace: 'tap_zendesk',
    label: 'Zendesk',
    description: 'Customer support ticketing',
    variants: [
      {
        variant: 'twilio-labs',
        pip_url: 'tap-zendesk',
        capabilities: LEGACY_TAP,
        settings: [
          text('subdomain', 'Subdomain', 'The part before .zendesk.com.'),
          text('email', 'Email', 'Email of the agent the token belongs to.'),
          secret('api_token', 'API Token', 'Zendesk API token.'),
          date('start_date', 'Start Date', 'Earliest record date to extract.'),
        ],
      },
    ],
  },
  {
    name: 'tap-facebook',
    namespace: 'tap_facebook',
    label: 'Facebook Ads',
    description: 'Advertising on Facebook and Instagram',
    variants: [
      {
        variant: 'meltanolabs',
        pip_url: 'git+https://github.com/MeltanoLabs/tap-facebook.git',
        capabilities: SDK_TAP,
        settings: [
          secret('access_token', 'Access Token', 'Marketing API access token.'),
          text('account_id', 'Account ID', 'Ad account to extract, without act_.'),
          date('start_date', 'Start Date', 'Earliest insight date to extract.'),
        ],
      },
    ],
  },
  {
    name: 'tap-rest-api-msdk',
    namespace: 'tap_rest_api_msdk',
    label: 'REST API',
    description: 'Any JSON REST API, configured stream by stream',
    variants: [
      {
        variant: 'widen',
        pip_url: 'tap-rest-api-msdk',
        capabilities: SDK_TAP,
        settings: [
          text('api_url', 'API URL', 'Base URL of the API.'),
          choice('auth_method', 'Auth Method', 'How requests authenticate.', [
            'no_auth',
            'api_key',
            'basic',
            'oauth',
          ]),
          secret('api_keys', 'API Keys', 'Header names and values sent with each request.'),
          list('streams', 'Streams', 'One entry per endpoint: name, path, primary keys, records path.'),
        ],
      },
    ],
  },
];
