import {
  Bell,
  ClipboardList,
  History,
  Layers,
  type LucideIcon,
  PanelLeftClose,
  PanelLeftOpen,
  Puzzle,
  Rocket,
  Settings,
  Users,
  Workflow,
} from 'lucide-react';
import { useEffect, useState } from 'react';
import { NavLink } from 'react-router';
import { isAdmin, useIdentity } from '../api/get-identity';

const KEY = 'meltano-ui.rail';

/** Whether the rail shows only icons; remembered per browser. */
export function useRailCollapsed(): [boolean, (c: boolean) => void] {
  const [collapsed, setCollapsed] = useState(() => localStorage.getItem(KEY) === 'collapsed');
  useEffect(() => {
    if (collapsed) localStorage.setItem(KEY, 'collapsed');
    else localStorage.removeItem(KEY);
  }, [collapsed]);
  return [collapsed, setCollapsed];
}

interface Item {
  to: string;
  label: string;
  icon: LucideIcon;
  end?: boolean;
}

function RailLink({ item, collapsed }: { item: Item; collapsed: boolean }) {
  const Icon = item.icon;
  return (
    <li>
      {/* Collapsed, the label is only visually hidden: it stays the link's name, and shows as a tooltip. */}
      <NavLink to={item.to} end={item.end} title={collapsed ? item.label : undefined}>
        <Icon size={18} aria-hidden="true" />
        <span className="rail-label">{item.label}</span>
      </NavLink>
    </li>
  );
}

/** The left rail: the product's places, then the admin ones; on phones a drawer opened from the header. */
export function NavRail({
  collapsed,
  onCollapse,
  id,
}: {
  collapsed: boolean;
  onCollapse: (c: boolean) => void;
  id: string;
}) {
  const identity = useIdentity().data;
  // With sign-in on, admins manage users here; with it off, accounts are only prepared (CLI or here).
  const showUsers = identity?.permissions.manage_users.allowed === true && identity.authentication;
  const main: Item[] = [
    { to: '/', label: 'Pipelines', icon: Workflow, end: true },
    { to: '/runs', label: 'Runs', icon: History },
    { to: '/plugins', label: 'Plugins', icon: Puzzle },
    { to: '/environments', label: 'Environments', icon: Layers },
    { to: '/deployments', label: 'Deployments', icon: Rocket },
  ];
  const admin: Item[] = [
    ...(showUsers ? [{ to: '/users', label: 'Users', icon: Users }] : []),
    ...(isAdmin(identity) ? [{ to: '/notifications', label: 'Notifications', icon: Bell }] : []),
    ...(isAdmin(identity) ? [{ to: '/audit', label: 'Audit log', icon: ClipboardList }] : []),
    { to: '/settings', label: 'Settings', icon: Settings },
  ];
  const Toggle = collapsed ? PanelLeftOpen : PanelLeftClose;
  return (
    <nav aria-label="Main" id={id} className={collapsed ? 'rail collapsed' : 'rail'}>
      <ul>
        {main.map((item) => (
          <RailLink key={item.to} item={item} collapsed={collapsed} />
        ))}
      </ul>
      <ul aria-label="Administration" className="rail-admin">
        {admin.map((item) => (
          <RailLink key={item.to} item={item} collapsed={collapsed} />
        ))}
      </ul>
      <button
        type="button"
        className="rail-toggle"
        aria-pressed={collapsed}
        title={collapsed ? 'Expand the menu' : 'Collapse the menu'}
        onClick={() => onCollapse(!collapsed)}
      >
        <Toggle size={18} aria-hidden="true" />
        <span className="rail-label">Collapse menu</span>
      </button>
    </nav>
  );
}
