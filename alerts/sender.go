package alerts

import "context"

// Sender delivers one message over one channel, once. It returns nil on
// success and otherwise an error; a *DeliveryError with Permanent set means
// retrying cannot help. Send does not retry: the Dispatcher schedules
// retries through the outbox.
type Sender interface {
	Send(ctx context.Context, m Message) error
}
