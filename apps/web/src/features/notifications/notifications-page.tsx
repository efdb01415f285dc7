import { usePermission } from '../../api/get-identity';
import { Breadcrumbs } from '../../components/breadcrumbs';
import { ErrorState, Loading } from '../../components/states';
import { ApiError } from '../../lib/api-client';
import { usePageTitle } from '../../lib/use-page-title';
import { useChannels } from './api/get-channels';
import { useRules } from './api/get-rules';
import { ChannelsSection } from './components/channels-section';
import { DeliveriesSection } from './components/deliveries-section';
import { RulesSection } from './components/rules-section';
import './notifications.css';

// Asking again cannot turn a refusal into an answer: no "Try again" for it.
const refused = (error: Error) => error instanceof ApiError && (error.status === 401 || error.status === 403);

function Sections() {
  const channels = useChannels();
  const rules = useRules();
  const manage = usePermission('manage_users');
  // A non-admin gets the server's 403 here, as on the Users page: the page says why, and nothing more.
  if (channels.isPending || rules.isPending) return <Loading what="notifications" />;
  if (channels.isError)
    return (
      <ErrorState
        what="notification channels"
        error={channels.error}
        {...(refused(channels.error) ? {} : { retry: () => void channels.refetch() })}
      />
    );
  if (rules.isError)
    return (
      <ErrorState
        what="notification rules"
        error={rules.error}
        {...(refused(rules.error) ? {} : { retry: () => void rules.refetch() })}
      />
    );
  return (
    <div className="notifications-page">
      {manage.allowed ? null : (
        <p className="warn-box" role="note">
          {manage.reason} You can see the channels, rules and log, but not change them.
        </p>
      )}
      <ChannelsSection channels={channels.data} rules={rules.data} />
      <RulesSection rules={rules.data} channels={channels.data} />
      <DeliveriesSection channels={channels.data} />
    </div>
  );
}

/** Admins choose where run failures, presumed-dead runs and late schedules are sent, and see what was. */
export function NotificationsPage() {
  usePageTitle('Notifications');
  return (
    <>
      <Breadcrumbs items={[{ label: 'Notifications' }]} />
      <div className="page-head">
        <h2>Notifications</h2>
        <span className="muted">Be told when a run fails, is presumed dead, or a schedule is late</span>
      </div>
      <Sections />
    </>
  );
}
