import type { QueryClient } from '@tanstack/react-query';
import {
  createRootRouteWithContext,
  createRoute,
  createRouter,
  lazyRouteComponent,
  Outlet,
  redirect,
} from '@tanstack/react-router';
import { AppLayout } from './components/AppLayout';
import { PageError, PageLoader, PageNotFound } from './components/PageState';
import { meKey, meQueryOptions } from './features/auth/api';
import { applyLocale } from './i18n';
import { queryClient, setUnauthorizedHandler } from './lib/queryClient';

interface RouterContext {
  queryClient: QueryClient;
}

/** Only same-site paths are followed after sign-in. */
export function safeRedirect(value: unknown): string | undefined {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') ? value : undefined;
}

const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: Outlet,
  notFoundComponent: PageNotFound,
});

// Public pages -------------------------------------------------------------

const signInRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/dang-nhap',
  validateSearch: (search: Record<string, unknown>): { redirect?: string } => {
    const r = safeRedirect(search['redirect']);
    return r ? { redirect: r } : {};
  },
  beforeLoad: async ({ context, search }) => {
    const me = await context.queryClient.ensureQueryData(meQueryOptions);
    if (me) throw redirect({ href: search.redirect ?? '/don-vi' });
  },
  component: lazyRouteComponent(() => import('./features/auth/SignInPage'), 'SignInPage'),
});

const forgotPasswordRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/quen-mat-khau',
  component: lazyRouteComponent(() => import('./features/auth/ForgotPasswordPage'), 'ForgotPasswordPage'),
});

const resetPasswordRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/dat-lai-mat-khau',
  validateSearch: (search: Record<string, unknown>): { token?: string } => {
    const t = search['token'];
    return typeof t === 'string' && t ? { token: t } : {};
  },
  component: lazyRouteComponent(() => import('./features/auth/ResetPasswordPage'), 'ResetPasswordPage'),
});

const publicFundsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/cong-khai/$id',
  component: lazyRouteComponent(() => import('./features/funds/PublicFundsPage'), 'PublicFundsPage'),
});

// Signed-in pages ----------------------------------------------------------

const appRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'app',
  beforeLoad: async ({ context, location }) => {
    const me = await context.queryClient.ensureQueryData(meQueryOptions);
    if (!me) throw redirect({ to: '/dang-nhap', search: { redirect: location.href } });
    await applyLocale(me.locale);
    return { me };
  },
  component: AppLayout,
});

const indexRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/',
  beforeLoad: () => {
    throw redirect({ to: '/don-vi' });
  },
});

const orgTreeRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/don-vi',
  component: lazyRouteComponent(() => import('./features/orgs/OrgTreePage'), 'OrgTreePage'),
});

const orgImportRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/don-vi/nhap-excel',
  component: lazyRouteComponent(() => import('./features/orgs/OrgImportPage'), 'OrgImportPage'),
});

const orgDetailRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/don-vi/$id',
  component: lazyRouteComponent(() => import('./features/orgs/OrgDetailPage'), 'OrgDetailPage'),
});

const usersRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/tai-khoan',
  component: lazyRouteComponent(() => import('./features/users/UsersPage'), 'UsersPage'),
});

const outboxRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/hop-thu-di',
  component: lazyRouteComponent(() => import('./features/outbox/OutboxPage'), 'OutboxPage'),
});

const auditRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/nhat-ky',
  component: lazyRouteComponent(() => import('./features/audit/AuditPage'), 'AuditPage'),
});

const campaignsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/ke-hoach',
  component: lazyRouteComponent(() => import('./features/campaigns/CampaignsPage'), 'CampaignsPage'),
});

const campaignNewRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/ke-hoach/moi',
  component: lazyRouteComponent(() => import('./features/campaigns/CampaignEditorPage'), 'CampaignNewPage'),
});

const campaignRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/ke-hoach/$id',
  component: lazyRouteComponent(() => import('./features/campaigns/CampaignPage'), 'CampaignPage'),
});

const campaignEditRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/ke-hoach/$id/sua',
  component: lazyRouteComponent(() => import('./features/campaigns/CampaignEditorPage'), 'CampaignEditPage'),
});

const childrenRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/tre-em',
  component: lazyRouteComponent(() => import('./features/children/ChildrenPage'), 'ChildrenPage'),
});

const childImportRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/tre-em/nhap-excel',
  component: lazyRouteComponent(() => import('./features/children/ChildImportPage'), 'ChildImportPage'),
});

const childRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/tre-em/$id',
  component: lazyRouteComponent(() => import('./features/children/ChildPage'), 'ChildPage'),
});

const scanRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/quet-phieu',
  validateSearch: (search: Record<string, unknown>): { token?: string } => {
    const t = search['token'];
    return typeof t === 'string' && t ? { token: t } : {};
  },
  component: lazyRouteComponent(() => import('./features/scan/ScanPage'), 'ScanPage'),
});

const sponsorsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/nha-tai-tro',
  component: lazyRouteComponent(() => import('./features/funds/SponsorsPage'), 'SponsorsPage'),
});

const routeTree = rootRoute.addChildren([
  signInRoute,
  forgotPasswordRoute,
  resetPasswordRoute,
  publicFundsRoute,
  appRoute.addChildren([
    indexRoute,
    orgTreeRoute,
    orgImportRoute,
    orgDetailRoute,
    usersRoute,
    outboxRoute,
    auditRoute,
    campaignsRoute,
    campaignNewRoute,
    campaignRoute,
    campaignEditRoute,
    childrenRoute,
    childImportRoute,
    childRoute,
    scanRoute,
    sponsorsRoute,
  ]),
]);

export const router = createRouter({
  routeTree,
  context: { queryClient },
  defaultPreload: 'intent',
  defaultPreloadStaleTime: 0,
  defaultPendingComponent: PageLoader,
  defaultErrorComponent: PageError,
  scrollRestoration: true,
});

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router;
  }
}

const PUBLIC_PATHS = ['/dang-nhap', '/quen-mat-khau', '/dat-lai-mat-khau'];

// A request answered 401: the session is gone. Forget the user and go to sign-in.
setUnauthorizedHandler(() => {
  queryClient.setQueryData(meKey, null);
  const { pathname, href } = router.state.location;
  if (PUBLIC_PATHS.includes(pathname) || pathname.startsWith('/cong-khai/')) return;
  void router.navigate({ to: '/dang-nhap', search: { redirect: href } });
});
