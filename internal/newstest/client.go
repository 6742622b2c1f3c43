package newstest

import (
	"context"
	"errors"
	"net"
	"syscall"
)

// DialSmallBuffer connects to addr over TCP with a receive buffer of a few
// KB, as a client that stops reading leaves it: a server writing to it
// soon blocks, which is how tests stall a response on purpose.
func DialSmallBuffer(ctx context.Context, addr string) (net.Conn, error) {
	d := net.Dialer{Control: func(_, _ string, rc syscall.RawConn) error {
		var serr error
		err := rc.Control(func(fd uintptr) { serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4<<10) })
		return errors.Join(err, serr)
	}}
	return d.DialContext(ctx, "tcp", addr)
}
