// oidc-provider ships no types; the tests use a few of its members.
declare module 'oidc-provider' {
  // biome-ignore lint/suspicious/noExplicitAny: untyped package, see above.
  const Provider: any;
  export default Provider;
}
