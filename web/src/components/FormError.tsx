import { Alert, List, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { errorMessage } from '../lib/api';
import { unplacedFieldErrors } from '../lib/forms';

/** The server's message for a failed submit, plus field errors that no input shows. */
export function FormError({ error, fields = [] }: { error: unknown; fields?: readonly string[] }) {
  if (!error) return null;
  const extra = unplacedFieldErrors(error, fields);
  return (
    <Alert color="red" icon={<IconAlertTriangle size={18} />} role="alert">
      <Text size="sm">{errorMessage(error)}</Text>
      {extra.length > 0 && (
        <List size="sm" mt="xs">
          {extra.map((m) => (
            <List.Item key={m}>{m}</List.Item>
          ))}
        </List>
      )}
    </Alert>
  );
}
