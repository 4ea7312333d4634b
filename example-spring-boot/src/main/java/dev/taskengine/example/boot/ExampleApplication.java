package dev.taskengine.example.boot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring Boot application on the task engine's starter: a deal and its follow-up email in one transaction
 * ({@link DealService}), sent later by the engine's scheduler ({@link LoggingSender}); {@code /actuator/health} and
 * {@code /actuator/metrics} answer.
 */
@SpringBootApplication
public class ExampleApplication {
    public static void main(String[] args) {
        SpringApplication.run(ExampleApplication.class, args);
    }
}
