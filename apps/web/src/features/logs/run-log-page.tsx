import { useParams } from 'react-router';

/** The run page: run summary and its live log viewer (built in features/logs). */
export default function RunLogPage() {
  const { id } = useParams();
  return <h2>Run {id}</h2>;
}
