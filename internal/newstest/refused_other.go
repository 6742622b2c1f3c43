//go:build !linux

package newstest

import "net"

// RefusingAddr returns a loopback address at which connections are
// refused, and release, which does nothing here: the address is that of a
// listener closed at once, which the system may give to another listener
// (the Linux version holds the port).
func RefusingAddr() (addr string, release func() error, err error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	addr = l.Addr().String()
	return addr, func() error { return nil }, l.Close()
}
