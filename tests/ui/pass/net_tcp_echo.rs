//@ vigil-flags: -Zmiri-disable-isolation
// Loopback TCP with isolation off: a server thread accepts a connection from the main thread and echoes what
// it reads, line by line; the main thread also uses a non-blocking listener and UDP on 127.0.0.1. (Miri has
// no UDP: it stops at the UDP socket.)
use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream, ToSocketAddrs, UdpSocket};
use std::thread;

fn main() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let server = thread::spawn(move || {
        let (stream, peer) = listener.accept().unwrap();
        assert!(peer.ip().is_loopback());
        let mut writer = stream.try_clone().unwrap();
        let mut lines = 0;
        for line in BufReader::new(stream).lines() {
            let line = line.unwrap();
            writeln!(writer, "echo: {line}").unwrap();
            lines += 1;
        }
        lines
    });
    let mut client = TcpStream::connect(addr).unwrap();
    client.set_nodelay(true).unwrap();
    let mut reader = BufReader::new(client.try_clone().unwrap());
    for word in ["hello", "loopback", "world"] {
        writeln!(client, "{word}").unwrap();
        let mut reply = String::new();
        reader.read_line(&mut reply).unwrap();
        print!("{reply}");
    }
    client.shutdown(std::net::Shutdown::Write).unwrap();
    let mut rest = String::new();
    reader.read_to_string(&mut rest).unwrap();
    println!("server saw {} lines, then end-of-file: {:?}", server.join().unwrap(), rest);

    // A non-blocking listener with nobody connecting.
    let quiet = TcpListener::bind("127.0.0.1:0").unwrap();
    quiet.set_nonblocking(true).unwrap();
    println!("non-blocking accept: {:?}", quiet.accept().map(|_| ()).map_err(|e| e.kind() == ErrorKind::WouldBlock));

    // A host name, resolved by the host (getaddrinfo).
    let named = TcpListener::bind("localhost:0").unwrap();
    println!("localhost is loopback: {}", named.local_addr().unwrap().ip().is_loopback());
    println!("unknown host: {}", "no-such-host.invalid:80".to_socket_addrs().is_err());

    // UDP between two sockets.
    let a = UdpSocket::bind("127.0.0.1:0").unwrap();
    let b = UdpSocket::bind("127.0.0.1:0").unwrap();
    a.send_to(b"datagram", b.local_addr().unwrap()).unwrap();
    let mut buf = [0u8; 32];
    let (n, from) = b.recv_from(&mut buf).unwrap();
    println!("udp: {:?} from a: {}", std::str::from_utf8(&buf[..n]).unwrap(), from == a.local_addr().unwrap());
}
