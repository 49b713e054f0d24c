export function ProblemMessages({ messages }: { messages: string[] }) {
  return <>{messages.map((m) => <span key={m} className="field-problem" role="alert">{m}</span>)}</>;
}
