import { Component, type ErrorInfo, type ReactNode } from 'react';

/** A screen that throws while rendering shows what happened instead of a blank page. */
export class ErrorBoundary extends Component<
  { children: ReactNode; resetKey: string },
  { error: Error | null }
> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidUpdate(prev: { resetKey: string }) {
    if (prev.resetKey !== this.props.resetKey && this.state.error) this.setState({ error: null });
  }

  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.error('Screen failed to render', error, info.componentStack);
  }

  override render() {
    if (this.state.error) {
      return (
        <div role="alert" className="error">
          <strong>This screen failed to render.</strong> {this.state.error.message}. Reload the page; if it
          persists, please report it with the address of this page.
        </div>
      );
    }
    return this.props.children;
  }
}
