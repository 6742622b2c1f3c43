package newstest

import (
	"fmt"
	"net/netip"
	"syscall"
)

// RefusingAddr returns a loopback address at which connections are
// refused, and release to free it. The port is held by a TCP socket that
// is bound but never listens, so, unlike the address of a listener closed
// at once, no other server of this or another process can be given it
// while the test uses it as the dead destination.
func RefusingAddr() (addr string, release func() error, err error) {
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		return "", nil, fmt.Errorf("refusing address: %w", err)
	}
	release = func() error { return syscall.Close(fd) }
	loopback := netip.AddrFrom4([4]byte{127, 0, 0, 1})
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: loopback.As4()}); err != nil {
		release()
		return "", nil, fmt.Errorf("refusing address: bind: %w", err)
	}
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		release()
		return "", nil, fmt.Errorf("refusing address: %w", err)
	}
	port := sa.(*syscall.SockaddrInet4).Port
	return netip.AddrPortFrom(loopback, uint16(port)).String(), release, nil
}
