package io.decoupled.clicks;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class ClickIngestApplication {
    public static void main(String[] args) {
        SpringApplication.run(ClickIngestApplication.class, args);
    }
}
